"""What the gold editor posts: the gold's content as the API's JSON, and the version read."""

from django import forms


class GoldPostForm(forms.Form):
    """The gold editor's save: `content` is what the labeling page would PUT (claim, claim
    types, attributions with speakers and spans, stance), checked like an API request."""

    content = forms.JSONField(error_messages={"invalid": "the editor sent unreadable content"})
    version = forms.IntegerField(required=False, min_value=1)
    based_on = forms.IntegerField(required=False, min_value=1)
