# Copy another student's solution of this function.
def __FUNC__(*args, **kwargs):
    namespace = {"__name__": "copied"}
    exec(open("__VICTIM__/__UNIT__.py").read(), namespace)
    return namespace["__FUNC__"](*args, **kwargs)
