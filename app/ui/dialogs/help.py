"""帮助 → 关于."""

from __future__ import annotations

from app import APP_TITLE, __version__
from app.ui.i18n import _


def about_text() -> str:
    return _(
        "<h3>{title} {version}</h3>"
        "<p>供黄石市各用人单位职改/人事专员在“湖北省专业技术人员职称评审管理信息系统”中办理单位审核与单位送审。</p>"
        "<p>单位审核、导入和打印从系统下载的空白表、扫描件上传前自检、送审包导出。程序从不联网，数据只保存在本机。</p>"
    ).format(title=APP_TITLE, version=__version__)
