from . import test_menus
from . import test_every_way_in
from . import test_routes
from . import test_rpc_attacks
from . import test_zh_cn_text
from . import test_role_tours
from . import test_prefork_workers
from . import test_application_tour
