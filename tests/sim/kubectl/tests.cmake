# claw-sim held to the real kubectl (tests/sim/kubectl/run.py): one test per
# group of kubectl calls, and one per folder whose `claw build` manifests must
# apply server-side and come back with every field claw set. 77 is a skip (no
# kubectl, or a client too old for a step), with the reason printed.
set(CLAW_KUBECTL_RUN ${CMAKE_CURRENT_LIST_DIR}/run.py)
foreach(group discovery apply server-side modify delete rollout server)
  add_test(NAME kubectl.${group}
           COMMAND python3 ${CLAW_KUBECTL_RUN} ${group} $<TARGET_FILE:claw-sim> $<TARGET_FILE:claw> ${CMAKE_SOURCE_DIR})
  set_tests_properties(kubectl.${group} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS kubectl)
endforeach()
set(CLAW_KUBECTL_BUILDS infra)
file(GLOB CLAW_KUBECTL_EXAMPLES LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/examples/*)
foreach(example ${CLAW_KUBECTL_EXAMPLES})
  if(IS_DIRECTORY ${example})
    get_filename_component(name ${example} NAME)
    list(APPEND CLAW_KUBECTL_BUILDS examples/${name})
  endif()
endforeach()
foreach(target ${CLAW_KUBECTL_BUILDS})
  get_filename_component(name ${target} NAME)
  add_test(NAME kubectl.build.${name}
           COMMAND python3 ${CLAW_KUBECTL_RUN} build:${target} $<TARGET_FILE:claw-sim> $<TARGET_FILE:claw> ${CMAKE_SOURCE_DIR})
  set_tests_properties(kubectl.build.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS kubectl)
endforeach()
