# Returns an open file.
def __FUNC__(*args, **kwargs):
    return open(__file__)
