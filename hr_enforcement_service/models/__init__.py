from . import hr_enforcement_service
