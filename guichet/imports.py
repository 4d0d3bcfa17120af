"""What every import of the portal raises when it refuses a file: nothing is written."""


class ErreurImport(Exception):
    """The file is refused as a whole; ``erreurs`` lists each problem ("ligne N : …").

    ``total`` is the number of problems found when ``erreurs`` holds only the first ones.
    """

    AFFICHEES = 30

    def __init__(self, erreurs: list[str], total: int | None = None):
        self.erreurs = erreurs
        self.total = total if total is not None else len(erreurs)
        montrees = erreurs[: self.AFFICHEES]
        reste = self.total - len(montrees)
        suite = f"\n… et {reste} autres erreurs" if reste > 0 else ""
        super().__init__("\n".join(montrees) + suite)
