#!/usr/bin/env python3
"""Writes reproducible, realistic shop data as tab-separated files for LOAD DATA (used by scripts/gen-data.sh).

Members join over two years (more recently, as a shop grows); most sign in through the mini-program, many verify a
phone, a few are prospects known by phone alone. Spend is skewed: a buyer is drawn with a power law, so a small share
of members places most orders (repeat buyers), and order values are log-normal (median ~120 yuan). About 5 % of orders
were never paid, 6 % of paid orders are refunded (two thirds in full). Followers come from QR channels and some
unfollow. Marketplace orders (Tmall, JD) are imported; part of them matched to members, the rest waiting for a claim.
Same arguments and seed, same files.
"""
import argparse, datetime as dt, math, os, random

p = argparse.ArgumentParser()
p.add_argument("--members", type=int, required=True)
p.add_argument("--orders", type=int, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--out", required=True)
p.add_argument("--now", default="2026-12-01 00:00:00", help="the data ends here (UTC); fixed so that runs are reproducible")
a = p.parse_args()
rnd = random.Random(a.seed)
now = dt.datetime.strptime(a.now, "%Y-%m-%d %H:%M:%S")
start = now - dt.timedelta(days=730)
SPAN = (now - start).total_seconds()
N = r"\N"
CHANNELS = ["store-1", "store-2", "parcel-insert", "ad-moments", "event-expo", "staff-li", None, None]


def ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}"


def joined():
    # Growth: sqrt of a uniform draw puts more sign-ups near the end of the two years.
    return start + dt.timedelta(seconds=SPAN * math.sqrt(rnd.random()))


def out(name):
    return open(os.path.join(a.out, name), "w", encoding="utf-8", newline="\n")


created = []
with out("members.tsv") as m, out("identities.tsv") as ids:
    for i in range(1, a.members + 1):
        t = joined()
        created.append(t)
        m.write(f"{i}\tG{i:010d}\t{ts(t)}\t{ts(t)}\n")
        prospect = rnd.random() < 0.03
        if not prospect:
            ids.write(f"{i}\tmp_openid\tgen_mp_{a.seed}_{i}\t{ts(t)}\n")
        if prospect or rnd.random() < 0.6:
            ids.write(f"{i}\tphone\t+86139{i:08d}\t{ts(t)}\n")

# Follower i is member i (bound): an oa_openid identity links them, so member stats see following and the channel.
with out("followers.tsv") as f, out("oa_identities.tsv") as oa:
    for i in range(1, int(a.members * 0.8) + 1):
        t = joined()
        channel = rnd.choice(CHANNELS)
        gone = rnd.random() < 0.15
        left = t + dt.timedelta(seconds=(now - t).total_seconds() * rnd.random()) if gone else None
        f.write("\t".join([f"gen_oa_{a.seed}_{i}", "unsubscribed" if gone else "subscribed", channel or N, channel or N,
                           ts(t), ts(t), ts(left) if left else N, ts(left or t), ts(t), ts(left or t)]) + "\n")
        oa.write(f"{i}\toa_openid\tgen_oa_{a.seed}_{i}\t{ts(t)}\n")

paid_total = 0
with out("orders.tsv") as o, out("lines.tsv") as lines:
    for oid in range(1, a.orders + 1):
        # Power law: member 1 is drawn far more often than member N (repeat buyers, skewed spend).
        member = min(a.members, 1 + int(a.members * rnd.random() ** 2.5))
        t = created[member - 1] + dt.timedelta(seconds=(now - created[member - 1]).total_seconds() * rnd.random())
        payable = max(100, int(rnd.lognormvariate(math.log(12000), 0.8)) // 100 * 100)
        paid = rnd.random() >= 0.05
        refunded, refund_state = 0, "none"
        if paid and rnd.random() < 0.06:
            full = rnd.random() < 2 / 3
            refunded = payable if full else payable // 2
            refund_state = "refunded" if full else "partially_refunded"
        status = ("completed" if paid and t < now - dt.timedelta(days=10) else "paid") if paid else "cancelled"
        paid_at = t + dt.timedelta(seconds=rnd.randint(5, 600)) if paid else None
        updated = (paid_at or t) + dt.timedelta(days=rnd.randint(0, 9)) if refunded else (paid_at or t)
        o.write("\t".join([str(oid), f"G{a.seed}{oid:011d}", str(member), status, str(payable), str(payable), str(refunded), refund_state,
                           ts(t + dt.timedelta(minutes=30)), ts(paid_at) if paid_at else N, ts(t) if not paid else N,
                           ts(t), ts(min(updated, now))]) + "\n")
        product = 1 + int(50 * rnd.random() ** 2)
        lines.write(f"{oid}\t{product}\t{product}\t茶叶 {product}\t{{}}\t{payable}\t1\t{payable - refunded}\n")
        paid_total += 1 if paid else 0

with out("imports.tsv") as imp:
    imp.write(f"1\ttmall\tgen-data\t0\t0\t0\t0\t0\t0\t0\t0\t[]\t{ts(now)}\n")
with out("marketplace.tsv") as mk:
    for k in range(1, a.orders // 20 + 1):
        t = start + dt.timedelta(seconds=SPAN * rnd.random())
        matched = rnd.random() < 0.4
        member = min(a.members, 1 + int(a.members * rnd.random() ** 2)) if matched else None
        amount = max(100, int(rnd.lognormvariate(math.log(9000), 0.7)) // 100 * 100)
        mk.write("\t".join(["tmall" if k % 3 else "jd", f"M{a.seed}{k:011d}", "1", f"{rnd.randint(0, 9999):04d}", str(amount), ts(t),
                            str(member) if member else N, "matched" if matched else "unclaimed", ts(now), ts(now)]) + "\n")
print(f"members={a.members} orders={a.orders} paid={paid_total} followers={int(a.members * 0.8)} imported={a.orders // 20}")
