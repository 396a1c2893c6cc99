"""The Python module: extract, read, Ledger (python/tally/). Texts written for these tests."""
import os
import subprocess
import tempfile
import unittest

import tally

SRC = os.environ.get("TALLY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


class ExtractTest(unittest.TestCase):
    def test_one_claim_with_its_fields(self):
        claims = tally.extract("Shelling killed 2 civilians in Barda on Monday, the Ministry of "
                               "Defence of Azerbaijan said.", published="2020-10-08")
        self.assertEqual(len(claims), 1)
        c = claims[0]
        self.assertEqual((c["outcome"], c["count_low"], c["count_high"]), ("killed", 2, 2))
        self.assertEqual(c["victims"], "civilians")
        self.assertEqual(c["place"], "Barda")
        self.assertEqual(c["date_start"], "2020-10-05")
        self.assertEqual(c["claimant"], "Ministry of Defence of Azerbaijan")

    def test_offsets_index_utf8_bytes(self):
        text = "Ракета — a rocket strike on Kramatorsk killed 4 people on 3 May 2023."
        c = tally.extract(text)[0]
        raw = text.encode("utf-8")
        self.assertEqual(raw[c["count_start"]:c["count_end"]], b"4")

    def test_no_claims(self):
        self.assertEqual(tally.extract("The weather was fine in Baku today."), [])

    def test_bad_date_is_an_error(self):
        with self.assertRaises(tally.TallyError):
            tally.extract("3 people were injured.", published="yesterday")

    def test_read_a_directory(self):
        claims = tally.read(os.path.join(SRC, "examples"))
        self.assertGreater(len(claims), 10)
        self.assertTrue(all("outcome" in c for c in claims))

    def test_read_missing_path(self):
        with self.assertRaises(tally.TallyError):
            tally.read("/nonexistent/tally-test")


class LedgerTest(unittest.TestCase):
    def test_claims_with_filters(self):
        exe = os.environ.get("TALLY_BIN")
        if not exe:
            self.skipTest("TALLY_BIN not set")
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "t.db")
            subprocess.run([exe, "ingest", "--db", db, os.path.join(SRC, "examples")], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with tally.Ledger(db) as led:
                every = led.claims()
                self.assertGreater(len(every), 10)
                killed = led.claims(outcome="killed")
                self.assertTrue(killed and all(c["outcome"] == "killed" for c in killed))
                self.assertEqual(len(led.claims(limit=3)), 3)
                self.assertTrue(led.incidents())
                with self.assertRaises(TypeError):
                    led.claims(colour="red")


if __name__ == "__main__":
    unittest.main()
