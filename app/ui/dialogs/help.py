"""帮助: the guide's 常见问题 and 关于."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app import APP_TITLE, __version__
from app.ui.i18n import _

FAQ_HTML = """
<h2>常见问题</h2>
<h3>一、送审时，显示“二维码解析失败”</h3>
<p><b>1. 没有以图片形式上传。</b>单位上传文件时，使用图片格式进行上传。从系统中下载对应的 PDF 文件后，
打印，签字、盖章后：如将文件以 PDF 的格式保存在电脑中，可使用 QQ 截图、微信截图，将完整内容以图片格式进行上传；
如文件以图片格式保存在电脑中，可直接上传，如仍出现“二维码解析失败”，也可使用 QQ 截图、微信截图上传。</p>
<p><b>本程序的做法：</b>把扫描件（图片、PDF 或整个文件夹）拖进程序窗口（任一页均可），程序会把 PDF 转成图片，
用和系统一样严格的方式读取二维码，读不出时尝试修复（裁切、纠偏、增强对比度、缩放），
并告诉您哪一页可以直接上传、哪一页需要重新扫描。导出送审包时，每张图片写出后都会再检查一遍。</p>
<h3>二、流程信息不匹配</h3>
<p>下载的审核意见表、考核表的信息与当前人员的流程信息不匹配，需要从系统中直接下载表格，填写后再次上传。
系统下载的二维码里面包含个人的流程信息，如果出现流程修改的情况（例如退回修改后重新提交），
原有已经下载好的表格不能再匹配，请重新下载对应的表格。</p>
<p><b>本程序的做法：</b>把从系统下载的表（PDF、整个下载文件夹或 ZIP）拖到“单位送审”页，程序记下每个人
每张表的二维码和导入时间。同一张表再次下载、二维码变了，新表就取代旧表；扫描件的二维码是旧表的，自检结论为
“流程信息不匹配”，并说明两张表各是哪天导入的，在“单位送审”页选中这一页，点“打印新下载的表”即可。
办件在表格导入之后退回修改、重新提交过，程序会提醒您系统很可能已重新生成此表，请重新下载。
用本程序生成的表格（离线办理、演示）也一样：扫描件的流程版本较旧时说明表格打印的日期和之后发生的变化，
点“重新生成表格”即可。</p>
<h3>三、“未开始”和“已结束”的办件为什么不能审核？</h3>
<p>临近审核状态分为：未开始、一般、加急、紧急、已结束。“未开始”和“已结束”都不能对人员进行审核；
“一般”“加急”“紧急”表示离评委会收件截止的远近，“紧急”意味着评委会马上要截止收材料。
加急、紧急的天数可在“设置 → 临近审核状态”中调整。</p>
<h3>四、退回修改时提示某个模块“未填写退回原因”</h3>
<p>需要明确具体哪个模块的信息需要退回修改，并写明原因。只有标注“是”并填写对应的原因，
个人才能在对应的模块下面进行修改。</p>
<h3>五、送审时提示某人的附件未上传</h3>
<p>每个人需要三份附件：推荐单位公示证明、单位考核表（盖章页）、单位审核意见表（盖章页）。
上传齐全后，“单位送审”页对应的 × 会变成 √。</p>
"""


class FaqDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("常见问题"))
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(FAQ_HTML)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def about_text() -> str:
    return _(
        "<h3>{title} {version}</h3>"
        "<p>供黄石市各用人单位职改/人事专员在“湖北省专业技术人员职称评审管理信息系统”中办理单位审核与单位送审。</p>"
        "<p>单位审核、导入和打印从系统下载的空白表、扫描件上传前自检、送审包导出。程序从不联网，数据只保存在本机。</p>"
    ).format(title=APP_TITLE, version=__version__)
