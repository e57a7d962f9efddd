"""Build the POST data of a real admin change form from the page Django rendered."""


def _field_value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _form_data(form, data):
    for bound_field in form:
        value = _field_value(bound_field)
        if bound_field.field.widget.__class__.__name__ == "CheckboxInput":
            if value in ("True", "true", "on"):
                data[bound_field.html_name] = "on"
            continue
        data[bound_field.html_name] = value


def change_form_data(response):
    """Return the data the admin page would post back unchanged, inlines and all."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    return data


def inline_prefix(response, model, nth=0):
    """Return the form prefix of the ``nth`` inline formset that edits ``model``."""
    prefixes = [i.formset.prefix for i in response.context["inline_admin_formsets"] if i.formset.model is model]
    return prefixes[nth]
