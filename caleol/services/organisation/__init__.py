"""The organisation a landlord enters: landlord, agencies, réservataires, commissions,
members and substitutes, départements' delays, EPCI, reasons, criteria, targets,
letter templates; and the setup file that carries all of it.

API (for the GUI wizard, the Référentiels forms and the CLI): plain frozen records in,
the same records out (`records.py`, plus `CriterionInfo`, `ReasonInfo`, `TargetInfo`),
one transaction per call, everything referred to by its code:

    get_landlord(engine) -> LandlordRecord | None      save_landlord(engine, record)
    list_agencies(engine)        save_agency(engine, AgencyRecord)
    list_reservataires(engine)   save_reservataire(engine, ReservataireRecord)
    list_commissions(engine)     save_commission(engine, CommissionRecord)
    list_members(engine, code)   save_member(engine, MemberRecord)
    list_departments(engine)     save_department(engine, DepartmentRecord)
    save_epci(engine, EpciRecord)
    list_reasons / save_reason, list_criteria / save_criterion, list_targets /
    save_target, list_templates / save_template (also re-exported by
    `services.reference`)
    set_<x>_active(engine, id, active)  deactivate (agency, réservataire, commission,
                                        member, criterion; a reason: `active` False)
    delete_<x>(engine, id)              only what nothing refers to (else a French
                                        `CaleolError` saying what refers to it)
    install_charter_defaults(engine)    the charter's reasons and criteria, into an
                                        empty catalogue
    check_draft / save_draft            the setup assistant's draft (`draft.py`): checked
                                        in a rolled-back transaction, saved whole
    export_setup(engine, path) / export_setup_text(engine)
    apply_setup_file(engine, path) / apply_setup_data(engine, data, base_dir)

`save_*` take `id` 0 to create. Bad input raises `caleol.errors.FormError` whose
`fields` map each record attribute to its French message (every bad field at once);
the catalogue and targets raise `FieldError` (one field). Nothing a séance refers to
is deleted; a member who sat keeps the name, capacity and votes the minutes cite.
"""

from caleol.services.organisation.agencies import (
    delete_agency,
    list_agencies,
    save_agency,
    set_agency_active,
)
from caleol.services.organisation.catalogue import (
    CriterionInfo,
    ReasonInfo,
    list_criteria,
    list_reasons,
    save_criterion,
    save_reason,
    set_criterion_active,
)
from caleol.services.organisation.commissions import (
    delete_commission,
    list_commissions,
    save_commission,
    set_commission_active,
)
from caleol.services.organisation.defaults import install_charter_defaults
from caleol.services.organisation.fields import FieldError
from caleol.services.organisation.landlord import get_landlord, landlord_name, save_landlord
from caleol.services.organisation.members import (
    delete_member,
    list_members,
    save_member,
    set_member_active,
)
from caleol.services.organisation.places import list_departments, save_department, save_epci
from caleol.services.organisation.records import (
    AgencyRecord,
    CommissionRecord,
    DepartmentRecord,
    EpciRecord,
    LandlordRecord,
    MemberRecord,
    ReservataireRecord,
)
from caleol.services.organisation.reservataires import (
    delete_reservataire,
    kind_choices,
    list_reservataires,
    save_reservataire,
    set_reservataire_active,
)
from caleol.services.organisation.setup_apply import (
    ApplyReport,
    apply_setup_data,
    apply_setup_file,
)
from caleol.services.organisation.setup_export import (
    SetupExport,
    export_setup,
    export_setup_text,
)
from caleol.services.organisation.targets import (
    TargetInfo,
    delete_target,
    list_targets,
    save_target,
)
from caleol.services.organisation.templates import (
    TemplateInfo,
    list_templates,
    reset_template,
    save_template,
)

__all__ = [
    "AgencyRecord",
    "ApplyReport",
    "CommissionRecord",
    "CriterionInfo",
    "DepartmentRecord",
    "EpciRecord",
    "FieldError",
    "LandlordRecord",
    "MemberRecord",
    "ReasonInfo",
    "ReservataireRecord",
    "SetupExport",
    "TargetInfo",
    "TemplateInfo",
    "apply_setup_data",
    "apply_setup_file",
    "delete_agency",
    "delete_commission",
    "delete_member",
    "delete_reservataire",
    "delete_target",
    "export_setup",
    "export_setup_text",
    "get_landlord",
    "install_charter_defaults",
    "kind_choices",
    "landlord_name",
    "list_agencies",
    "list_commissions",
    "list_criteria",
    "list_departments",
    "list_members",
    "list_reasons",
    "list_reservataires",
    "list_targets",
    "list_templates",
    "reset_template",
    "save_agency",
    "save_commission",
    "save_criterion",
    "save_department",
    "save_epci",
    "save_landlord",
    "save_member",
    "save_reason",
    "save_reservataire",
    "save_target",
    "save_template",
    "set_agency_active",
    "set_commission_active",
    "set_criterion_active",
    "set_member_active",
    "set_reservataire_active",
]
