from django.contrib.auth.management import create_permissions
from django.db import migrations

# 执法领域 of a natural-resources bureau. More can be added by the system administrator.
FIELDS = [
    ("land", "土地管理"),
    ("mineral", "矿产资源"),
    ("surveying", "测绘地理信息"),
    ("geological_environment", "地质环境"),
    ("planning", "城乡规划"),
    ("marine", "海洋资源"),
    ("forestry", "森林草原"),
]


def seed_fields(apps, schema_editor):
    EnforcementField = apps.get_model("org", "EnforcementField")
    for code, name in FIELDS:
        EnforcementField.objects.get_or_create(code=code, defaults={"name": name})


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from org.groups import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_organisation"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_fields, migrations.RunPython.noop),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
