# Allocate until the memory runs out.
def __FUNC__(*args, **kwargs):
    hoard = []
    while True:
        hoard.append(bytearray(256 * 1024 ** 2))
