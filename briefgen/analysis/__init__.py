"""Pure per-article analysis: plain text in, key points, quotes and word features out.

Modules: ``sentences`` (splitting), ``terms`` (word features), ``keypoints`` (extractive
selection), ``quotes`` (quotations and speakers), ``article`` (the whole analysis of one
article, the unit the build caches).
"""
