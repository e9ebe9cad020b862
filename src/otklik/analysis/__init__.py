"""Analysis: the machine's first pass over a message (R-8.1 suggestions, R-8.10 repeats, R-10 moderation).

Plain functions over text (``moderation``, ``place``, ``topics``, ``routing``, ``importance``, ``repeats``) plus
trained models shipped in ``data/``. ``pipeline.annotate_message`` stores the results as ``Suggestion`` rows; the
curator's final choice is a ``Decision`` row and is the training data for the next model. Analysis suggests,
people decide: nothing here changes a case or deletes a message.
"""
