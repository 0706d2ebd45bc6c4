"""Reading and writing the user's files safely: one atomic writer for everything nnsim saves,
and one reader that refuses anything but a regular file of bounded size.

A classroom machine has full disks, odd names, symlinks, FIFOs and /dev/zero; whatever goes
wrong is a ``FileError`` with one line naming the user's path, and nothing already on disk
is lost.
"""
import errno
import os
import secrets
import stat
from pathlib import Path


class FileError(ValueError):
    """A file that cannot be read or written; the message is one line for the user."""


def shown(path):
    """``path`` as printable text: bytes of a name that are not UTF-8 appear as escapes."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def _reason(error):
    return error.strerror or str(error)


# -- reading ------------------------------------------------------------------------------
def read_user_file(path, what, cap):
    """The UTF-8 text (a leading BOM dropped) of the regular file ``path``, at most ``cap``
    bytes, or FileError saying plainly why not. The file is opened non-blocking and checked
    with fstat before anything is read, so a FIFO or a device cannot hang or flood nnsim,
    and the size is whatever reading finds, not what stat claims."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileError(f"{shown(path)} does not exist") from None
    except IsADirectoryError:
        raise FileError(f"{shown(path)} is a folder, not a {what}") from None
    except PermissionError:
        raise FileError(f"no permission to read {shown(path)}") from None
    except OSError as error:
        raise FileError(f"cannot read {shown(path)}: {_reason(error)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FileError(f"{shown(path)} is a folder, not a {what}")
        if not stat.S_ISREG(mode):
            raise FileError(f"{shown(path)} is not a regular file, so not a {what}")
        data = bytearray()
        while len(data) <= cap:
            chunk = os.read(fd, cap + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError as error:
        raise FileError(f"cannot read {shown(path)}: {_reason(error)}") from None
    finally:
        os.close(fd)
    if len(data) > cap:
        raise FileError(f"{shown(path)} is too large (the limit for a {what} is "
                        f"{cap // 2**20} MB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(f"{shown(path)} is not a text file (UTF-8)") from None


# -- writing ------------------------------------------------------------------------------
def _target(path):
    """The file a write to ``path`` really changes (a symlink's target) and its current
    mode bits (None when it does not exist yet), or FileError."""
    if not str(path):
        raise FileError("no file name given")
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target, None
    except OSError as error:
        raise FileError(f"cannot write {shown(path)}: {_reason(error)}") from None
    if stat.S_ISDIR(mode):
        raise FileError(f"{shown(path)} is a folder")
    if not stat.S_ISREG(mode):
        raise FileError(f"{shown(path)} is not a regular file; nnsim will not replace it")
    return target, stat.S_IMODE(mode)


def check_writable(path):
    """FileError unless ``write_atomic(path, ...)`` can be expected to work: the folder
    exists and nnsim may create files in it, and the target is not a folder or a special
    file. For checking output paths before a long run."""
    target, _ = _target(path)
    folder = target.parent
    if not folder.is_dir():
        raise FileError(f"cannot write {shown(path)}: the folder {shown(folder)} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileError(f"no permission to write in {shown(folder)}")


def write_atomic(path, data):
    """Write ``data`` (bytes, or str as UTF-8) to ``path`` so that it holds either all of the
    old content or all of the new: a temporary file in the same folder is written, flushed
    to disk and renamed over the target, and then the folder is flushed too (POSIX), so the
    rename itself survives a power cut once this returns. A new file gets the usual permissions (0666 less
    the umask); an existing file keeps its mode; a symlink is written through to its target.
    On any failure the temporary file is removed and FileError names ``path``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target, mode = _target(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        # not mkstemp: it creates the file 0600, which would then become the saved file's mode
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise FileError(f"cannot write {shown(path)}: the folder {shown(target.parent)} "
                            "does not exist") from None
        except PermissionError:
            raise FileError(f"no permission to write in {shown(target.parent)}") from None
        except OSError as error:
            raise FileError(f"cannot write {shown(path)}: {_reason(error)}") from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except OSError:
            pass          # the write's own error is the one to report
        if isinstance(error, OSError):
            raise FileError(f"cannot write {shown(path)}: {_reason(error)}") from None
        raise
    try:
        sync_folder(target.parent)
    except OSError as error:
        raise FileError(f"cannot write {shown(path)}: {_reason(error)}") from None


#: What opening or flushing a folder fails with where the OS or file system cannot do it
#: (Windows has no folder handles for this; some network and FUSE file systems refuse).
_NO_FOLDER_SYNC = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EPERM,
                   errno.EISDIR, getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)}


def sync_folder(folder):
    """Flush ``folder``'s entries to disk (a rename or a new file in it is then durable);
    nothing where the OS cannot, an OSError where the disk fails."""
    if os.name == "nt" or not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        if error.errno in _NO_FOLDER_SYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _NO_FOLDER_SYNC:
            raise
    finally:
        os.close(fd)
