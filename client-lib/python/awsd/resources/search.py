"""The part of JMESPath resources-1.json uses for its paths: fields, "[]"
flattening, "[*]" projections, "[N]" indexes, "$" and "@" for the whole
value, and S3's "[Versions,DeleteMarkers]|[]..." multiselect with a pipe."""
import re

_TOKEN = re.compile(r"[A-Za-z0-9_]+|\[\]|\[\*\]|\[-?\d+\]|\.")


def search(path, value):
    if path in ("$", "@", ""):
        return value
    if path.startswith("[") and "]|" in path:
        fields, rest = path[1:].split("]|", 1)
        if not isinstance(value, dict):
            return None
        return search(rest, [value.get(name.strip()) for name in fields.split(",")])
    tokens = _TOKEN.findall(path)
    if "".join(tokens) != path:
        raise ValueError(f"unsupported resource path: {path}")
    return _walk(tokens, value)


def _walk(tokens, value):
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if value is None:
            return None
        if token in ("[]", "[*]"):
            if not isinstance(value, list):
                return None
            if token == "[]":
                value = [x for item in value for x in (item if isinstance(item, list) else [item])]
            # A projection runs up to the next flatten, which flattens what it collected.
            end = tokens.index("[]", i + 1) if "[]" in tokens[i + 1:] else len(tokens)
            results = (_walk(tokens[i + 1:end], item) for item in value)
            value = [result for result in results if result is not None]
            i = end
            continue
        if token.startswith("["):
            if not isinstance(value, list):
                return None
            index = int(token[1:-1])
            value = value[index] if -len(value) <= index < len(value) else None
        elif token != ".":
            value = value.get(token) if isinstance(value, dict) else None
        i += 1
    return value
