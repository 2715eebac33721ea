# An accident: a segmentation fault in compiled code.
def __FUNC__(*args, **kwargs):
    import ctypes
    return ctypes.string_at(0)
