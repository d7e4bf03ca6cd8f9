from django import forms
from django.utils.translation import gettext_lazy as _

from projects.validators import single_line


class ScreeningForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Access restriction"),
        required=False,
        max_length=20,
        validators=[single_line],
        help_text=_("The archive's code, e.g. 13. Empty: the document is not screened."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=200,
        validators=[single_line],
        help_text=_("E.g. Offl. § 13 jf. fvl. § 13 første ledd nr. 1."),
    )
