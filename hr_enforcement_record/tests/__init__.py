from . import test_approval
from . import test_case_lifecycle
from . import test_certificate
from . import test_complaint
from . import test_deadline
from . import test_security
from . import test_tour
