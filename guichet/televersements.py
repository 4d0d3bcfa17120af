"""Checks shared by every CSV import upload (aids zoning, demography): size, name, content."""

from pathlib import Path

from django import forms

MARQUEURS_HTML = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml")


def valider_csv_importe(fichier, *, taille_max: int):
    """Refuse an import that is too big, not named .csv, binary or markup; return it rewound."""
    if Path(fichier.name or "").suffix.lower() != ".csv":
        raise forms.ValidationError("Le fichier doit être un CSV (extension .csv).")
    if fichier.size > taille_max:
        raise forms.ValidationError(
            f"Le fichier dépasse {taille_max // (1024 * 1024)} Mo : découpez-le en plusieurs "
            "imports."
        )
    fichier.seek(0)
    debut = fichier.read(65536)
    fichier.seek(0)
    if b"\x00" in debut or debut.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG")):
        raise forms.ValidationError("Ce fichier n'est pas un CSV texte (contenu binaire).")
    if any(marqueur in debut[:4096].lower() for marqueur in MARQUEURS_HTML):
        raise forms.ValidationError("Ce fichier contient du code et non un tableau CSV.")
    return fichier
