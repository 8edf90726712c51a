"""awsd.Session: boto3.Session's shape; the daemon resolves the profile,
region and credentials, this process only names them."""
from . import _transport, messages
from .client import BaseClient


class Session:
    def __init__(self, aws_access_key_id=None, aws_secret_access_key=None, aws_session_token=None, region_name=None,
                 profile_name=None, socket_path=None):
        self._daemon = _transport.Daemon.at(_transport.socket_path(socket_path))
        self._spec = messages.SessionSpec(profile=profile_name or "", region=region_name or "")
        _set_credentials(self._spec, aws_access_key_id, aws_secret_access_key, aws_session_token)
        self._resolved = None

    def _resolve(self):
        # What the daemon made of this session (profile, region, the profiles it knows).
        if self._resolved is None:
            session = self._daemon.sessions.CreateSession(messages.CreateSessionRequest(spec=self._spec))
            self._daemon.sessions.CloseSession(messages.CloseSessionRequest(session_id=session.session_id))
            self._resolved = session
        return self._resolved

    @property
    def profile_name(self):
        return self._spec.profile or self._resolve().profile

    @property
    def region_name(self):
        return self._spec.region or self._resolve().region or None

    @property
    def available_profiles(self):
        return list(self._resolve().available_profiles)

    def _client_spec(self, region_name, endpoint_url, aws_access_key_id, aws_secret_access_key, aws_session_token,
                     config):
        spec = self._spec.copy()
        region = region_name or getattr(config, "region_name", None)
        if region:
            spec.region = region
        if endpoint_url:
            spec.endpoint_url = endpoint_url
        _set_credentials(spec, aws_access_key_id, aws_secret_access_key, aws_session_token)
        return spec

    def client(self, service_name, region_name=None, api_version=None, use_ssl=True, verify=None, endpoint_url=None,
               aws_access_key_id=None, aws_secret_access_key=None, aws_session_token=None, config=None):
        spec = self._client_spec(region_name, endpoint_url, aws_access_key_id, aws_secret_access_key,
                                 aws_session_token, config)
        return BaseClient(self._daemon, service_name, spec, config)

    def resource(self, service_name, region_name=None, api_version=None, use_ssl=True, verify=None,
                 endpoint_url=None, aws_access_key_id=None, aws_secret_access_key=None, aws_session_token=None,
                 config=None):
        from .resources.factory import service_resource

        client = self.client(service_name, region_name=region_name, endpoint_url=endpoint_url,
                             aws_access_key_id=aws_access_key_id, aws_secret_access_key=aws_secret_access_key,
                             aws_session_token=aws_session_token, config=config)
        return service_resource(client)


def _set_credentials(spec, access_key_id, secret_access_key, session_token):
    if access_key_id or secret_access_key:
        spec.explicit_credentials = messages.ExplicitCredentials(
            access_key_id=access_key_id or "", secret_access_key=secret_access_key or "",
            session_token=session_token or "")
