# The two commands of the README's quick start.
#   make        install what is missing, build, check infra/ and print the network
#   make test   build and run every test (what CI runs)
.PHONY: run test

run:
	.ci/main.sh

test:
	.ci/test.sh
