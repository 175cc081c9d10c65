"""Writes and evaluations of the power catalog. Other apps import from here."""

from catalog.services.demo import catalog_load_demo
from catalog.services.discretion import (
    Evaluation,
    Outcome,
    discretion_evaluate,
    discretion_standard_create,
    discretion_standard_publish,
    discretion_standard_retire,
    discretion_standard_update,
    exemption_rule_save,
    standard_versions,
)
from catalog.services.major import (
    Requirement,
    catalog_record_defaults,
    decision_requirements,
    major_rule_create,
    major_rule_retire,
    major_rule_update,
    rules_in_force,
)
from catalog.services.power import (
    power_item_create,
    power_item_publish,
    power_item_retire,
    power_item_revise,
    provision_find,
    provision_save,
)
from catalog.services.transfer import ImportRejected, ImportReport, catalog_import, export_file, export_rows

__all__ = [
    "Evaluation",
    "ImportRejected",
    "ImportReport",
    "Outcome",
    "Requirement",
    "catalog_import",
    "catalog_load_demo",
    "catalog_record_defaults",
    "decision_requirements",
    "discretion_evaluate",
    "discretion_standard_create",
    "discretion_standard_publish",
    "discretion_standard_retire",
    "discretion_standard_update",
    "exemption_rule_save",
    "export_file",
    "export_rows",
    "major_rule_create",
    "major_rule_retire",
    "major_rule_update",
    "power_item_create",
    "power_item_publish",
    "power_item_retire",
    "power_item_revise",
    "provision_find",
    "provision_save",
    "rules_in_force",
    "standard_versions",
]
