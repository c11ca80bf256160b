"""The one way the addon writes spreadsheets: text stays text, formats and page setup shared.

Names, notes and content come from users; a cell that starts with ``=``, ``+``, ``-`` or ``@`` must
never become a live formula in a coordinator's or an officer's Excel. Every workbook is opened with
``new_workbook`` (no string is read as a formula, a URL or a number) and text is written with
``write_text``; numbers the addon computed are written as numbers.
"""

from odoo.tools.misc import xlsxwriter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook(output):
    """An in-memory workbook on ``output`` that never turns a string into a formula, URL or number."""
    return xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def write_text(sheet, row, column, value, cell_format=None):
    """Text as text, never read as a formula; an empty text is a blank cell."""
    if value:
        sheet.write_string(row, column, str(value), cell_format)
    else:
        sheet.write_blank(row, column, None, cell_format)


def add_formats(workbook):
    """The few cell formats our spreadsheets share: they print well on A4 landscape."""
    border = {"border": 1, "valign": "vcenter", "font_size": 10}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format(
            dict(border, bold=True, bg_color="#D9E1F2", text_wrap=True, align="center")
        ),
        "text": workbook.add_format(dict(border, text_wrap=True)),
        "center": workbook.add_format(dict(border, align="center")),
        "number": workbook.add_format(dict(border, num_format="0")),
        "percent": workbook.add_format(dict(border, num_format="0.0%")),
        "total": workbook.add_format(dict(border, bold=True, bg_color="#F2F2F2")),
        "total_number": workbook.add_format(
            dict(border, bold=True, bg_color="#F2F2F2", num_format="0")
        ),
        "total_percent": workbook.add_format(
            dict(border, bold=True, bg_color="#F2F2F2", num_format="0.0%")
        ),
    }


def setup_sheet(sheet, widths, header_row):
    """Column widths, frozen header, landscape A4 fitted to the page width, header repeated on each page."""
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
