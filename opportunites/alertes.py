"""Saved searches: what is new for each, the digests (one per user and day), their links.

A run of ``envoyer_alertes`` first records, for each user with due alerts, one digest with
what it reports (``EnvoiAlertes``, unique per user and day) and moves the alerts' watermark, in
one transaction per batch of ``LOT`` users (what is new for all their alerts read in a few
queries); then it sends the digests recorded and not yet sent. A crash between
the two leaves recorded digests, which the next run sends; a digest is marked sent in the
transaction that sends it, and its Message-ID is fixed, so a mail server or a mail client drops a
repeat. Each run handles at most ``OPPORTUNITE_ALERTES_PAR_PASSAGE`` digests.

E-mails quote nothing a stranger wrote: a post is named by its type, professions, commune and
distance (the portal's words), an aid by its catalogue name (written by the ARS).
"""

import functools
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import FloatField, Value
from django.db.models.functions import Cast
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aides.models import Aide, Zonage
from guichet import grammaire
from guichet.forms import CommuneField, choix_departements
from guichet.models import Commune
from opportunites.filters import OpportuniteFilterSet
from opportunites.models import Alerte, EnvoiAlertes, Opportunite, SujetAlerte

logger = logging.getLogger(__name__)

PAR_ALERTE = 20  # items per alert in a digest (the rest is one link away)
SEL_FLUX = "opportunites.alerte.flux"
SEL_DESABONNER = "opportunites.alerte.desabonner"
TENTATIVES_MAX = 5


# -- signed links (no account needed) ---------------------------------------------------------


def jeton_flux(alerte: Alerte) -> str:
    return signing.dumps(alerte.pk, salt=SEL_FLUX)


def alerte_du_flux(jeton: str) -> Alerte | None:
    try:
        pk = signing.loads(jeton, salt=SEL_FLUX)
    except signing.BadSignature:
        return None
    return Alerte.objects.select_related("commune").filter(pk=pk).first()


def jeton_desabonner(*, utilisateur_id: int, alerte_id: int | None = None) -> str:
    """One alert, or every alert of the account (the digest's List-Unsubscribe)."""
    return signing.dumps({"u": utilisateur_id, "a": alerte_id}, salt=SEL_DESABONNER)


def desabonner(jeton: str) -> int | None:
    """Delete what the link names; None when the link is forged, the count otherwise."""
    try:
        cible = signing.loads(jeton, salt=SEL_DESABONNER)
        qs = Alerte.objects.filter(utilisateur_id=int(cible["u"]))
        if cible.get("a") is not None:
            qs = qs.filter(pk=int(cible["a"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return qs.delete()[1].get("opportunites.Alerte", 0)


def lien(chemin: str) -> str:
    return f"{settings.SITE_URL}{chemin}"


# -- saving a search ---------------------------------------------------------------------------

ALERTES_MAX = 20  # per account


def _nouvelle(utilisateur, **champs) -> Alerte:
    if Alerte.objects.filter(utilisateur=utilisateur).count() >= ALERTES_MAX:
        raise ValidationError(
            f"Vous avez déjà {ALERTES_MAX} alertes : supprimez-en une avant d'en créer une autre."
        )
    maintenant = timezone.now()
    alerte = Alerte(utilisateur=utilisateur, depuis=maintenant, **champs)
    alerte.planifier(maintenant)
    if alerte.sujet == SujetAlerte.AIDES_ZONAGE:  # what is known today is not news
        alerte.zonage_vu = {alerte.profession: _zonage(alerte)}
    alerte.save()
    return alerte


def alerte_enregistrer_recherche(*, utilisateur, requete: str, frequence: str) -> Alerte:
    """Save the list's search (its query string): the list's FilterSet reads it back, the
    commune by its INSEE code."""
    donnees = QueryDict(requete or "")
    champs = OpportuniteFilterSet.Meta.fields
    lues = [*champs, "commune_saisie"]
    filtre = OpportuniteFilterSet({k: donnees.get(k) for k in lues if donnees.get(k)})
    if not filtre.is_valid():
        raise ValidationError(
            "Cette recherche n'est pas valide : corrigez-la avant de l'enregistrer."
        )
    parametres = {k: str(v) for k, v in filtre.form.data.items() if k in champs and v}
    parametres.pop("commune", None)
    if filtre.centre is not None:
        parametres["commune"] = filtre.centre.code
        parametres["rayon"] = str(filtre.rayon_km)
    return _nouvelle(
        utilisateur,
        sujet=SujetAlerte.OPPORTUNITES,
        parametres=parametres,
        commune=filtre.centre,
        frequence=frequence,
    )


def alerte_enregistrer_commune(*, utilisateur, commune, profession: str, frequence: str) -> Alerte:
    return _nouvelle(
        utilisateur,
        sujet=SujetAlerte.AIDES_ZONAGE,
        commune=commune,
        profession=profession,
        frequence=frequence,
    )


# -- what is new for an alert -----------------------------------------------------------------

LOT = 100  # people per transaction of the job, alerts per UNION ALL query


def filtre_de(alerte: Alerte, queryset=None, *, departements=None) -> OpportuniteFilterSet:
    """The list's FilterSet on the alert's criteria. The commune saved with the alert (when
    loaded with it) and ``departements``, the options read once by the caller, each spare the
    form a query."""
    qs = Opportunite.objects.publiees() if queryset is None else queryset
    filtre = OpportuniteFilterSet(alerte.parametres, queryset=qs.select_related("commune"))
    champs = filtre.form.fields
    if alerte.commune_id is not None and Alerte.commune.is_cached(alerte):
        champs["commune"].par_code = functools.partial(_par_code, alerte.commune)
    if departements is not None:
        champs["departement"].choices = departements
    return filtre


def _par_code(connue: Commune, code: str) -> Commune | None:
    """CommuneField.par_code, answered by the alert's commune when the code is its own."""
    return connue if code.upper() == connue.pk else CommuneField.par_code(code)


def _departements(alertes) -> list | None:
    """The départements' options, read once when one of the alerts filters on a département."""
    return choix_departements() if any(a.parametres.get("departement") for a in alertes) else None


def opportunites_de(alerte: Alerte, *, apres=None, jusqu_a=None, departements=None):
    """The published posts matching the alert (published in ``]apres, jusqu_a]`` if given)."""
    qs = Opportunite.objects.publiees()
    if apres is not None:
        qs = qs.filter(publiee_le__gt=apres)
    if jusqu_a is not None:
        qs = qs.filter(publiee_le__lte=jusqu_a)
    filtre = filtre_de(alerte, qs, departements=departements)
    return filtre.qs if filtre.is_valid() else qs.none()


def aides_de(alerte: Alerte):
    return (
        Aide.objects.publiees()
        .ouvertes()
        .pour_commune(alerte.commune, alerte.profession or None)
        .pour_profession(alerte.profession)
        .order_by("-modifie_le", "pk")
    )


def _zonage(alerte: Alerte) -> list[str]:
    return _zonages([alerte]).get((alerte.commune_id, alerte.profession), [])


def _zonages(alertes) -> dict[tuple[str, str], list[str]]:
    """The zoning levels, sorted, of each (commune, profession) the alerts follow (one query)."""
    suivis = {(a.commune_id, a.profession) for a in alertes}
    niveaux = {}
    for commune, profession, niveau in (
        Zonage.objects.filter(
            commune_id__in={c for c, _ in suivis}, profession__in={p for _, p in suivis}
        )
        .values_list("commune_id", "profession", "niveau")
        .distinct()
    ):
        if (commune, profession) in suivis:
            niveaux.setdefault((commune, profession), []).append(niveau)
    return {cle: sorted(n) for cle, n in niveaux.items()}


def _premieres_lignes(requetes: dict, colonnes: list[str]) -> dict[int, list[dict]]:
    """The first PAR_ALERTE rows (``colonnes``, which name the fields each queryset is ordered
    by) of each alert's queryset, in that queryset's order: one UNION ALL query per LOT alerts,
    each part keeping its own ORDER BY and LIMIT, rather than one query per alert."""
    parties, ordres = [], {}
    for pk, qs in requetes.items():
        if not qs.query.is_empty():
            ordres[pk] = qs.query.order_by or qs.model._meta.ordering
            parties.append(qs.annotate(alerte_lue=Value(pk)).values_list("alerte_lue", *colonnes))
    lignes = {}
    for i in range(0, len(parties), LOT):
        premiere, *autres = (p[:PAR_ALERTE] for p in parties[i : i + LOT])
        for alerte, *valeurs in premiere.union(*autres, all=True) if autres else premiere:
            lignes.setdefault(alerte, []).append(dict(zip(colonnes, valeurs, strict=True)))
    for pk, rangees in lignes.items():  # a UNION ALL keeps no order: each part's is applied
        for champ in reversed(ordres[pk]):  # stable sorts, last key first (NULLs as SQL's)
            nom = champ.removeprefix("-")
            rangees.sort(key=lambda r: (r[nom] is None, r[nom]), reverse=champ.startswith("-"))
    return lignes


def _nouveautes(alertes: list[Alerte], maintenant) -> dict[int, dict]:
    """What the next digest reports for each alert with news (ids, never text), by alert: the
    same reads as for one alert, in a few queries for all (see _premieres_lignes). Moves each
    aids-and-zoning alert's zoning seen."""
    departements = _departements(alertes)
    recherches, suivies = {}, []
    for a in alertes:
        if a.sujet == SujetAlerte.OPPORTUNITES:
            qs = opportunites_de(a, apres=a.depuis, jusqu_a=maintenant, departements=departements)
            if "distance_km" not in qs.query.annotations:  # no commune: the same columns
                qs = qs.annotate(distance_km=Cast(Value(None), FloatField()))
            recherches[a.pk] = qs
        else:
            suivies.append(a)
    annonces = _premieres_lignes(recherches, ["pk", "distance_km", "publiee_le"])
    aides = _premieres_lignes(
        {
            a.pk: aides_de(a).filter(modifie_le__gt=a.depuis, modifie_le__lte=maintenant)
            for a in suivies
        },
        ["pk", "modifie_le"],
    )
    zonages = _zonages(suivies) if suivies else {}
    trouvees = {}
    for a in alertes:
        if a.sujet == SujetAlerte.OPPORTUNITES:
            lues = [
                [o["pk"], round(o["distance_km"]) if o["distance_km"] is not None else None]
                for o in annonces.get(a.pk, [])
            ]
            if lues:
                trouvees[a.pk] = {"alerte": a.pk, "opportunites": lues}
            continue
        zonage = zonages.get((a.commune_id, a.profession), [])
        change = zonage != a.zonage_vu.get(a.profession, [])
        a.zonage_vu = {a.profession: zonage}
        ids = [o["pk"] for o in aides.get(a.pk, [])]
        if ids or change:
            trouvees[a.pk] = {"alerte": a.pk, "aides": ids, "zonage": zonage if change else None}
    return trouvees


# -- the job: record, then send ---------------------------------------------------------------


def _preparer(utilisateurs: list[int], maintenant) -> int:
    """One transaction for a batch of people: their due alerts read and locked, what is new
    for all of them read at once, the watermarks moved, a digest recorded for each person with
    news (nothing recorded when nothing is new: the alerts simply wait for their next turn).
    The count recorded. Should another run have recorded one of these digests meanwhile,
    nothing of the batch stays and its people are taken one by one."""
    try:
        with transaction.atomic():
            alertes = list(
                Alerte.objects.select_for_update(of=("self",))
                .select_related("commune__departement")
                .filter(utilisateur_id__in=utilisateurs, prochain_envoi__lte=maintenant)
                .order_by("utilisateur_id", "cree_le", "pk")
            )
            trouvees = _nouveautes(alertes, maintenant)
            contenus = {}
            for alerte in alertes:
                if alerte.pk in trouvees:
                    contenus.setdefault(alerte.utilisateur_id, []).append(trouvees[alerte.pk])
                alerte.depuis = maintenant
                alerte.planifier(maintenant)
            Alerte.objects.bulk_update(alertes, ["depuis", "prochain_envoi", "zonage_vu"])
            EnvoiAlertes.objects.bulk_create(
                EnvoiAlertes(
                    utilisateur_id=utilisateur,
                    jour=timezone.localdate(maintenant),
                    contenu=contenu,
                    prepare_le=maintenant,
                )
                for utilisateur, contenu in contenus.items()
            )
            return len(contenus)
    except IntegrityError:  # another run recorded one of these digests meanwhile
        if len(utilisateurs) == 1:
            return 0
        return sum(_preparer([utilisateur], maintenant) for utilisateur in utilisateurs)


def preparer_envois(*, maintenant, limite: int) -> int:
    """Record the digests of up to ``limite`` people whose alerts are due and who have no
    digest today, LOT people per transaction."""
    deja = EnvoiAlertes.objects.filter(jour=timezone.localdate(maintenant)).values("utilisateur_id")
    utilisateurs = list(
        Alerte.objects.filter(prochain_envoi__lte=maintenant)
        .exclude(utilisateur_id__in=deja)
        .order_by("utilisateur_id")
        .values_list("utilisateur_id", flat=True)
        .distinct()[:limite]
    )
    return sum(
        _preparer(utilisateurs[i : i + LOT], maintenant) for i in range(0, len(utilisateurs), LOT)
    )


def _lignes(envoi: EnvoiAlertes) -> list[dict]:
    """The digest's sections, read back from the ids it recorded (posts still online only)."""
    alertes = {
        a.pk: a
        for a in Alerte.objects.filter(utilisateur=envoi.utilisateur_id).select_related("commune")
    }
    departements = _departements(alertes.values())
    ids_annonces = {pk for s in envoi.contenu for pk, _ in s.get("opportunites", [])}
    annonces = Opportunite.objects.publiees().select_related("commune").in_bulk(ids_annonces)
    aides = Aide.objects.in_bulk({pk for s in envoi.contenu for pk in s.get("aides", [])})
    sections = []
    for s in envoi.contenu:
        alerte = alertes.get(s["alerte"])
        if alerte is None:  # unsubscribed since
            continue
        section = {
            "alerte": alerte,
            "titre": intitule(alerte, departements=departements),
            "annonces": [
                (annonces[pk], d) for pk, d in s.get("opportunites", []) if pk in annonces
            ],
            "aides": [aides[pk] for pk in s.get("aides", []) if pk in aides],
            "zonage": [Zonage.Niveau(n).label for n in s.get("zonage") or []],
            "zonage_change": s.get("zonage") is not None,
            "desabonner": lien(
                reverse(
                    "opportunites:desabonner",
                    args=[
                        jeton_desabonner(utilisateur_id=envoi.utilisateur_id, alerte_id=alerte.pk)
                    ],
                )
            ),
        }
        if section["annonces"] or section["aides"] or section["zonage_change"]:
            sections.append(section)
    return sections


def _courriel(envoi: EnvoiAlertes, sections: list[dict]) -> EmailMessage:
    desabonner_tout = lien(
        reverse(
            "opportunites:desabonner", args=[jeton_desabonner(utilisateur_id=envoi.utilisateur_id)]
        )
    )
    contexte = {
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "SITE_URL": settings.SITE_URL,
        "sections": sections,
        "nombre": sum(len(s["annonces"]) + len(s["aides"]) + s["zonage_change"] for s in sections),
        "desabonner": desabonner_tout,
        "url_alertes": lien(reverse("opportunites:alertes")),
    }
    sujet = render_to_string("opportunites/emails/alertes_subject.txt", contexte).strip()
    domaine = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return EmailMessage(
        subject=f"[{settings.PORTAIL_NOM}] {sujet}",
        body=render_to_string("opportunites/emails/alertes_body.txt", contexte),
        to=[envoi.utilisateur.email],
        headers={
            "List-Unsubscribe": f"<{desabonner_tout}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<alertes-{envoi.pk}-{envoi.jour:%Y%m%d}@{domaine}>",
        },
    )


def _envoyer(pk: int, maintenant) -> bool:
    """Send one recorded digest; it is marked sent in the same transaction (a failure rolls the
    mark back and counts an attempt)."""
    with transaction.atomic():
        envoi = (
            EnvoiAlertes.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("utilisateur")
            .filter(pk=pk, envoye_le__isnull=True)
            .first()
        )
        if envoi is None:  # sent meanwhile, or another run holds it
            return False
        envoi.envoye_le = maintenant
        envoi.save(update_fields=["envoye_le"])
        sections = _lignes(envoi)
        if not sections:  # everything withdrawn or unsubscribed since: nothing to say
            return False
        try:
            _courriel(envoi, sections).send()
        except Exception:
            transaction.set_rollback(True)
            logger.exception("Alertes n° %s non envoyées", pk)
        else:
            return True
    EnvoiAlertes.objects.filter(pk=pk).update(tentatives=envoi.tentatives + 1)
    return False


def envoyer_alertes(*, maintenant=None, limite: int | None = None) -> dict:
    """The scheduled job: record the due digests, then send those recorded and not sent."""
    maintenant = maintenant or timezone.now()
    limite = settings.OPPORTUNITE_ALERTES_PAR_PASSAGE if limite is None else limite
    en_attente = EnvoiAlertes.objects.filter(
        envoye_le__isnull=True, tentatives__lt=TENTATIVES_MAX
    ).count()
    prepares = preparer_envois(maintenant=maintenant, limite=max(limite - en_attente, 0))
    a_envoyer = (
        EnvoiAlertes.objects.filter(envoye_le__isnull=True, tentatives__lt=TENTATIVES_MAX)
        .order_by("prepare_le", "pk")
        .values_list("pk", flat=True)[:limite]
    )
    envoyes = sum(1 for pk in list(a_envoyer) if _envoyer(pk, maintenant))
    return {"prepares": prepares, "envoyes": envoyes}


def intitule(alerte: Alerte, *, departements=None) -> str:
    """The alert in the portal's words (every part chosen from a list, nothing typed)."""
    if alerte.sujet == SujetAlerte.AIDES_ZONAGE:
        commune = alerte.commune.nom if alerte.commune else "?"
        return f"Aides et zonage — {alerte.get_profession_display()} — {commune}"
    filtre = filtre_de(alerte, departements=departements)
    morceaux = []
    if filtre.is_valid():
        donnees = filtre.form.cleaned_data
        for champ in ("nature", "profession", "departement"):
            valeur = donnees.get(champ)
            if valeur:
                choix = dict(filtre.form.fields[champ].choices)
                morceaux.append(str(choix.get(valeur, getattr(valeur, "nom", valeur))))
        if filtre.centre is not None:
            morceaux.append(
                f"{filtre.rayon_km} km autour {grammaire.de_commune(filtre.centre.nom)}"
            )
    return "Opportunités" + (" — " + ", ".join(morceaux) if morceaux else "")
