"""The Governor's posts (clause 7, R-7.1 … R-7.4).

Owns: the per-body approval setting (R-7.1), the watch of each Governor's post with its R-7.4 check schedule,
the comments under the post with the question detector's verdict, and the post page. The questions themselves
are `cases.Case` rows with `origin="governor_post"`, so their deadlines (`gov_answer`, R-7.2;
`gov_after_reply`, R-7.3) and violations are the same rows, sweeps and reports as clause 8, tagged R-7.
"""
