# Returns a lambda instead of data.
def __FUNC__(*args, **kwargs):
    return lambda *a: 0.0
