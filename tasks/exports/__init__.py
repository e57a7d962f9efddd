"""The status table as the secretariat issues it: an Excel workbook and a Word document."""
