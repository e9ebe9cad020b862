"""The organisation directory (R-3, R-4.1, R-5, R-6).

Owns: bodies (oblast executive bodies and municipal administrations), people and their roles, absences with
substitutes (`on_duty`), competence (topic -> body), official accounts in the networks, the gazetteer of
municipal formations and settlements, and the topic taxonomy.
"""
