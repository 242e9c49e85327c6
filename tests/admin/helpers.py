"""Drive the admin's forms as a browser would: post back what the page shows, plus edits."""


def form_data(page) -> dict:
    """Return the POST data of an admin change form submitted unchanged (inlines included)."""
    forms = [page.context["adminform"].form]
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms += formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value is not None and value is not False:
                data[field.html_name] = value
    return data
