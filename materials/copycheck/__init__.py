"""雷同检测: flag passages of a 对照检查材料 that were not written by its author.

"要切实防止撰写对照检查材料流于形式，尤其要防止从网上拼拼凑凑、从第一批活动单位照抄照搬" [002].

- ``engine``    normalisation, fingerprints (character shingles + winnowing), matching;
                pure functions, no database.
- ``stock``     the campaign's set phrases ("照镜子、正衣冠、洗洗澡、治治病" …): common ground.
- ``index``     the fingerprint index in the database (store, look up, common hashes).
- ``services``  writes: check a submitted version, upload/withdraw reference texts.
- ``selectors`` reads: a report as one reviewer may see it (sources he may not see stay anonymous).
- ``corpus``, ``evaluation``  synthetic materials with known copies: precision/recall and the benchmark.
"""
