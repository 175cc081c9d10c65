"""The power catalog: legal provisions, power items, discretion standards, major-decision rules."""


from ninja import Router

router = Router(tags=["catalog"])
