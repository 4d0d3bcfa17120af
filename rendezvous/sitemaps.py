"""The appointments' entry page in sitemap.xml (booking pages depend on a département)."""

from guichet.sitemaps import pages

pages("rendezvous:accueil")
