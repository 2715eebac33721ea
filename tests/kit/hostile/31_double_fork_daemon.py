# The classic double fork: a grandchild adopted by init, in its own session.
def __FUNC__(*args, **kwargs):
    import os
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "__TOKEN__"])
        os._exit(0)
    return None
