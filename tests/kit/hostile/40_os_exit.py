# An accident: os._exit in the middle of a call.
def __FUNC__(*args, **kwargs):
    import os
    os._exit(0)
