"""Writes awsd/v1/schema.py, the daemon's messages, enums and services as
awsd._protobuf reads them, from proto/ at build time: protoc compiles the
.proto files to a descriptor set, which is read with awsd._protobuf itself
and the few fields of descriptor.proto it needs (so building needs protoc,
not the protobuf runtime)."""
import glob
import importlib.util
import os
import pprint
import subprocess
import sys
import tempfile


def _load_protobuf_module():
    # By its file: importing the package would import what is being generated.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "awsd", "_protobuf.py")
    spec = importlib.util.spec_from_file_location("awsd_build_protobuf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_protobuf = _load_protobuf_module()
MAP, REPEATED, SINGLE, Registry = _protobuf.MAP, _protobuf.REPEATED, _protobuf.SINGLE, _protobuf.Registry

_M = "message"
# The parts of google/protobuf/descriptor.proto read here, as schema entries.
_DESCRIPTOR_SCHEMA = {
    "FileDescriptorSet": (("file", 1, _M, "FileDescriptorProto", REPEATED, ""),),
    "FileDescriptorProto": (("name", 1, "string", "", SINGLE, ""), ("package", 2, "string", "", SINGLE, ""),
                            ("message_type", 4, _M, "DescriptorProto", REPEATED, ""),
                            ("enum_type", 5, _M, "EnumDescriptorProto", REPEATED, ""),
                            ("service", 6, _M, "ServiceDescriptorProto", REPEATED, "")),
    "DescriptorProto": (("name", 1, "string", "", SINGLE, ""), ("field", 2, _M, "FieldDescriptorProto", REPEATED, ""),
                        ("nested_type", 3, _M, "DescriptorProto", REPEATED, ""),
                        ("enum_type", 4, _M, "EnumDescriptorProto", REPEATED, ""),
                        ("options", 7, _M, "MessageOptions", SINGLE, ""),
                        ("oneof_decl", 8, _M, "OneofDescriptorProto", REPEATED, "")),
    "FieldDescriptorProto": (("name", 1, "string", "", SINGLE, ""), ("number", 3, "int32", "", SINGLE, ""),
                             ("label", 4, "enum", "", SINGLE, ""), ("type", 5, "enum", "", SINGLE, ""),
                             ("type_name", 6, "string", "", SINGLE, ""), ("oneof_index", 9, "int32", "", SINGLE, ""),
                             ("proto3_optional", 17, "bool", "", SINGLE, "")),
    "OneofDescriptorProto": (("name", 1, "string", "", SINGLE, ""),),
    "MessageOptions": (("map_entry", 7, "bool", "", SINGLE, ""),),
    "EnumDescriptorProto": (("name", 1, "string", "", SINGLE, ""),
                            ("value", 2, _M, "EnumValueDescriptorProto", REPEATED, "")),
    "EnumValueDescriptorProto": (("name", 1, "string", "", SINGLE, ""), ("number", 2, "int32", "", SINGLE, "")),
    "ServiceDescriptorProto": (("name", 1, "string", "", SINGLE, ""),
                               ("method", 2, _M, "MethodDescriptorProto", REPEATED, "")),
    "MethodDescriptorProto": (("name", 1, "string", "", SINGLE, ""), ("input_type", 2, "string", "", SINGLE, ""),
                              ("output_type", 3, "string", "", SINGLE, ""),
                              ("client_streaming", 5, "bool", "", SINGLE, ""),
                              ("server_streaming", 6, "bool", "", SINGLE, "")),
}
# FieldDescriptorProto.Type, by number.
_KINDS = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool",
          9: "string", 11: "message", 12: "bytes", 13: "uint32", 14: "enum", 15: "sfixed32", 16: "sfixed64",
          17: "sint32", 18: "sint64"}
_LABEL_REPEATED = 3


def descriptor_set(proto_dir):
    protos = sorted(os.path.relpath(p, proto_dir) for p in glob.glob(os.path.join(proto_dir, "awsd", "v1", "*.proto")))
    if not protos:
        raise SystemExit(f"no .proto files under {proto_dir}/awsd/v1 (set AWSD_PROTO_DIR)")
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "set.pb")
        subprocess.run(["protoc", f"--proto_path={proto_dir}", "--include_imports", f"--descriptor_set_out={out}",
                        *protos], check=True)
        with open(out, "rb") as f:
            data = f.read()
    return Registry(dict(_DESCRIPTOR_SCHEMA)).message("FileDescriptorSet").decode(data)


def schema_of(files):
    messages, enums, services = {}, {}, {}

    def walk(scope, message):
        name = f"{scope}.{message.name}"
        entries = {f"{name}.{nested.name}": nested for nested in message.nested_type}
        for enum in message.enum_type:
            enums[f"{name}.{enum.name}"] = {value.name: value.number for value in enum.value}
        fields = []
        for field in message.field:
            kind = _KINDS[field.type]
            type_name = field.type_name.lstrip(".") if kind in ("message", "enum") else ""
            label = REPEATED if field.label == _LABEL_REPEATED else SINGLE
            entry = entries.get(type_name)
            if label == REPEATED and entry is not None and entry.options.map_entry:
                key, value = sorted(entry.field, key=lambda f: f.number)
                value_kind = _KINDS[value.type]
                label, kind = MAP, "map"
                type_name = (_KINDS[key.type], value_kind,
                             value.type_name.lstrip(".") if value_kind in ("message", "enum") else "")
            in_oneof = field.has("oneof_index") and not field.proto3_optional
            oneof = message.oneof_decl[field.oneof_index].name if in_oneof else ""
            fields.append((field.name, field.number, kind, type_name, label, oneof))
        messages[name] = tuple(fields)
        for nested in message.nested_type:
            if not nested.options.map_entry:
                walk(name, nested)

    for file in files.file:
        for message in file.message_type:
            walk(file.package, message)
        for enum in file.enum_type:
            enums[f"{file.package}.{enum.name}"] = {value.name: value.number for value in enum.value}
        for service in file.service:
            services[f"{file.package}.{service.name}"] = {
                method.name: (method.input_type.lstrip("."), method.output_type.lstrip("."),
                              method.client_streaming, method.server_streaming) for method in service.method}
    return messages, enums, services


def write_schema(proto_dir, out_dir):
    messages, enums, services = schema_of(descriptor_set(proto_dir))
    target = os.path.join(out_dir, "awsd", "v1")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "schema.py"), "w") as f:
        f.write('"""Generated from proto/ by generate_schema.py: do not edit."""\n')
        for name, value in (("MESSAGES", messages), ("ENUMS", enums), ("SERVICES", services)):
            f.write(f"{name} = {pprint.pformat(value, width=120)}\n")
    open(os.path.join(target, "__init__.py"), "a").close()


if __name__ == "__main__":
    write_schema(sys.argv[1], sys.argv[2])
