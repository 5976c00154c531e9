"""Errors the officer is meant to read.

A :class:`ZcwsError` carries a Chinese message and, where there is one, the fix.
The CLI prints it on one line; the GUI shows it in a dialog. Any other exception
is a bug and is logged with its traceback.
"""

from __future__ import annotations

import errno
import logging

from app.core.steps import Next

log = logging.getLogger(__name__)


class ZcwsError(Exception):
    """An expected failure with a message for the officer.

    ``at`` names what is at fault where a face can point at it (a module's or a field's
    key), so that no face has to look for a label inside the message; ``next`` is the
    step that fixes it, which each face words in its own terms (a button, a command).
    """

    def __init__(
        self, message: str, fix: str | None = None, at: tuple[str, ...] = (), next: Next | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.at = at
        self.next = next

    def __str__(self) -> str:
        if self.fix:
            return f"{self.message}（{self.fix}）"
        return self.message


class UsageError(ZcwsError):
    """The command or the input was wrong; nothing was changed (exit code 2)."""


class InputError(ZcwsError):
    """A file given is not what the action needs (no header, a column missing, broken); the command
    line itself was right, so the CLI exits 1, not 2. Nothing was changed."""


class NotFoundError(ZcwsError):
    """A case, plan or file that was asked for does not exist."""


class RuleError(ZcwsError):
    """A domain rule refuses the action (review closed, missing reason, ...)."""


class StoreError(ZcwsError):
    """The store cannot be used: disk full, locked, corrupt, newer schema."""


# errno → what happened, in the officer's words (strerror is English on most systems)
_OS_CAUSES = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有访问权限",
    "EPERM": "没有访问权限",
    "EROFS": "位置是只读的",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已用完",
    "EFBIG": "文件太大",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EEXIST": "同名文件已存在",
    "ENAMETOOLONG": "文件名或路径太长",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EMFILE": "同时打开的文件太多",
    "EIO": "读写磁盘出错",
    "EINVAL": "文件名或路径无效",
}
#: Windows error codes that carry no errno of their own.
_WIN_CAUSES = {32: "文件正被其他程序占用", 33: "文件的一部分被其他程序锁定", 123: "文件名或路径无效",
               206: "文件名或路径太长", 1224: "文件正被其他程序占用"}  # fmt: skip


def os_cause(exc: OSError) -> str:
    """Why a file operation failed, in Chinese, whatever the system's language (the detail goes to the log)."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WIN_CAUSES:
        return _WIN_CAUSES[winerror]
    name = errno.errorcode.get(exc.errno or -1, "")
    if name in _OS_CAUSES:
        return _OS_CAUSES[name]
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


def os_error(exc: OSError, what: str) -> ZcwsError:
    """A file-system failure as a message the officer can act on."""
    if exc.errno == errno.ENOSPC:
        return StoreError(f"磁盘空间不足，{what}未完成", "请清理磁盘空间或换一个位置后重试")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(f"没有写入权限，{what}未完成（{exc.filename or ''}）", "请换一个可以写入的文件夹后重试")
    log.warning("%s failed: %s", what, exc)
    return StoreError(f"{what}失败：{os_cause(exc)}（{exc.filename or ''}）")
