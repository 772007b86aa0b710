{
    "ref": "test set: a few genes of the bundled human set, gapped, without anchors.tsv",
    "species": "Homo sapiens",
    "path": ".",
    "systems": {
        "IGH": {
            "recombinations": [{"5": ["IGHV.fa"], "4": ["IGHD.fa"], "3": ["IGHJ.fa"]}],
            "parameters": {"seed": "12s"}
        },
        "TRG": {
            "recombinations": [{"5": ["TRGV.fa"], "3": ["TRGJ.fa"]}],
            "parameters": {"seed": "10s"}
        }
    }
}
