{
    "ref": "test archive: Vidjil's make germline layout, a few genes, synthetic flanks",
    "species": "Homo sapiens",
    "species_taxon_id": 9606,
    "path": "homo-sapiens",
    "systems": {
        "TRA": {
            "shortcut": "A",
            "recombinations": [
                {
                    "5": [
                        "TRAV.fa"
                    ],
                    "3": [
                        "TRAJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "13s"
            }
        },
        "TRB": {
            "shortcut": "B",
            "recombinations": [
                {
                    "5": [
                        "TRBV.fa"
                    ],
                    "4": [
                        "TRBD.fa"
                    ],
                    "3": [
                        "TRBJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "12s"
            }
        },
        "TRB+": {
            "shortcut": "b",
            "recombinations": [
                {
                    "5": [
                        "TRBD+up.fa"
                    ],
                    "3": [
                        "TRBJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "12s"
            }
        },
        "TRD": {
            "shortcut": "D",
            "recombinations": [
                {
                    "5": [
                        "TRDV.fa"
                    ],
                    "4": [
                        "TRDD.fa"
                    ],
                    "3": [
                        "TRDJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "10s"
            }
        },
        "TRA+D": {
            "shortcut": "a",
            "recombinations": [
                {
                    "5": [
                        "TRDV.fa"
                    ],
                    "4": [
                        "TRDD.fa"
                    ],
                    "3": [
                        "TRAJ+down.fa"
                    ]
                },
                {
                    "5": [
                        "TRDD+up.fa"
                    ],
                    "3": [
                        "TRAJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "13s"
            }
        },
        "TRD+": {
            "shortcut": "d",
            "recombinations": [
                {
                    "5": [
                        "TRDV.fa"
                    ],
                    "3": [
                        "TRDD3+down.fa"
                    ]
                },
                {
                    "5": [
                        "TRDD2+up.fa"
                    ],
                    "4": [
                        "TRDD.fa"
                    ],
                    "3": [
                        "TRDJ+down.fa"
                    ]
                },
                {
                    "5": [
                        "TRDD2+up.fa"
                    ],
                    "3": [
                        "TRDD3+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "9c"
            }
        },
        "IGH": {
            "shortcut": "H",
            "recombinations": [
                {
                    "5": [
                        "IGHV.fa"
                    ],
                    "4": [
                        "IGHD.fa"
                    ],
                    "3": [
                        "IGHJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "12s"
            }
        },
        "IGH+": {
            "shortcut": "h",
            "recombinations": [
                {
                    "5": [
                        "IGHD+up.fa"
                    ],
                    "3": [
                        "IGHJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "12s"
            }
        },
        "IGK": {
            "shortcut": "K",
            "recombinations": [
                {
                    "5": [
                        "IGKV.fa"
                    ],
                    "3": [
                        "IGKJ+down.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "10s"
            }
        },
        "IGK+": {
            "shortcut": "k",
            "recombinations": [
                {
                    "5": [
                        "IGKV.fa",
                        "IGK-INTRON.fa"
                    ],
                    "3": [
                        "IGK-KDE.fa"
                    ]
                }
            ],
            "parameters": {
                "seed": "10s"
            }
        }
    }
}
