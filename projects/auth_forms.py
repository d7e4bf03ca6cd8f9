from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


def normalise_login(value) -> str:
    """The one form of a typed e-mail address that both the log-in and its throttling count by."""
    return (value or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: count failures for HR@… and hr@… together, as log-in matches them."""
    if credentials and credentials.get("username") is not None:
        return normalise_login(credentials.get("username"))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_login(data.get("username"))


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The e-mail address or password is wrong. Both are needed to log in."),
        "inactive": _("This account is not active. Ask the project owner or an administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})

    def clean_username(self):
        return normalise_login(self.cleaned_data.get("username"))
