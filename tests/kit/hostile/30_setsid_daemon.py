# A daemon in a session of its own that outlives grading.
def __FUNC__(*args, **kwargs):
    import subprocess
    subprocess.Popen(["sleep", "__TOKEN__"], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return None
