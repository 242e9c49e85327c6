"""Error reports (debug pages, admin e-mails) that never show a credential.

Django hides settings and request variables whose names look secret (KEY, PASS, TOKEN, ...),
but a URL such as DATABASE_URL carries its password in its value. Here every name ending in
_URL or naming a DSN, database, credential or certificate is hidden too, and a password inside
any URL-like value (scheme://user:password@host) is replaced whatever the name.
"""

import re

from django.views.debug import SafeExceptionReporterFilter

PASSWORD_IN_URL = re.compile(r"(?P<before>[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+(?=@)", re.I)


class CredentialsFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|_URL$|DSN|DATABASE|CREDENTIAL|CERT",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if type(cleansed) is str:  # lazy strings (translations, settings proxies) hold no URL
            return PASSWORD_IN_URL.sub(rf"\g<before>{self.cleansed_substitute}", cleansed)
        return cleansed
