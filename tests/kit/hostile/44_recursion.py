# Endless recursion.
def __FUNC__(*args, **kwargs):
    return __FUNC__(*args, **kwargs)
