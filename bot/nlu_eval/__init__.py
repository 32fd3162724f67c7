"""`make eval`: how well the assistant understands, measured (docs/nlu.md).

- ood_corpus: the out-of-domain corpus and its deterministic split;
- outcome: what the assistant did with one message (service answer, form, emergency, rejection);
- ood_run: the held-out out-of-domain part sent over REST to the running assistant;
- rasa_test: Rasa's NLU test on the held-out set and the cross-validation (`rasa test nlu`);
- report: the figures rendered into docs/nlu.md.
No Rasa imports here: Rasa runs in its own processes.
"""
