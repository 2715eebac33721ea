# sys.exit inside a call.
def __FUNC__(*args, **kwargs):
    import sys
    sys.exit(0)
