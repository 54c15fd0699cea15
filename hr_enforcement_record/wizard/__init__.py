from . import hr_enforcement_document_issue
