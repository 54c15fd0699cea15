from . import case_file_pdf
