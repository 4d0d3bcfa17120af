"""The public form of the staff space in sitemap.xml."""

from guichet.sitemaps import pages

pages("question:poser")
