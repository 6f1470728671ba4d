"""Demo accounts: one per role and unit (invented people), all with DEMO_PASSWORD.

Not flagged for the forced password change (everyone shares the printed demo password).

Usernames: ``admin``, ``office`` (安委办), ``tw_<township code>``, ``dept_<department code>``.
"""

from campaigns.constants import DEMO_PASSWORD
from campaigns.org.models import Department, Role, Township, User
from campaigns.org.services import user_create as _user_create

DEMO_NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴霞",
    "徐鹏",
    "孙丽",
    "胡军",
    "朱琳",
    "高翔",
    "林涛",
    "何婷",
    "郭强",
    "马超",
    "罗燕",
    "梁斌",
    "宋佳",
    "郑浩",
    "谢雨",
    "韩冰",
    "唐宁",
]


def user_create(*, username, **fields):
    """Create a demo account once; later runs leave it (and any changed password) alone."""
    if not User.objects.filter(username=username).exists():
        _user_create(username=username, must_change_password=False, **fields)


def build(*, rng) -> list[tuple[str, str]]:
    """Create/refresh the demo accounts; returns [(username, description)] for printing."""
    names = iter(DEMO_NAMES * 3)
    made = []
    user_create(username="admin", password=DEMO_PASSWORD, role=Role.ADMIN, full_name="系统管理员")
    made.append(("admin", "管理员"))
    user_create(
        username="office",
        password=DEMO_PASSWORD,
        role=Role.SAFETY_OFFICE,
        full_name=next(names),
        email="office@yixian.invalid",
    )
    made.append(("office", "县安委会办公室"))
    for township in Township.objects.all():
        username = f"tw_{township.code}"
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=Role.TOWNSHIP_OFFICIAL,
            township=township,
            full_name=next(names),
            email=f"{username}@yixian.invalid",
        )
        made.append((username, township.name))
    for department in Department.objects.filter(is_lead=True):
        username = f"dept_{department.code}"
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=Role.DEPARTMENT_STAFF,
            department=department,
            full_name=next(names),
            email=f"{username}@yixian.invalid",
        )
        made.append((username, department.name))
    return made
