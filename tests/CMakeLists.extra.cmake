# Spec cases, CLI smoke tests and the scores on ../shared.
# include()d from tests/CMakeLists.txt (CMAKE_CURRENT_SOURCE_DIR is tests/).

# ---------------------------------------------------------------- spec runner
add_executable(spec_runner ${CMAKE_CURRENT_SOURCE_DIR}/spec_runner.c)
target_link_libraries(spec_runner PRIVATE tally_static)
add_dependencies(spec_runner gazetteer)

# One CTest per spec file: spec/numbers, spec/dates, ...
file(GLOB TALLY_SPEC_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/spec/*.spec)
foreach(spec ${TALLY_SPEC_FILES})
  get_filename_component(name ${spec} NAME_WE)
  add_test(NAME spec/${name} COMMAND spec_runner ${spec})
  set_tests_properties(spec/${name} PROPERTIES
    ENVIRONMENT "TALLY_GAZETTEER=${GAZETTEER_BIN}"
    LABELS spec)
endforeach()

# The Russian cases, run with the Russian pack: spec/ru/numbers, ...
file(GLOB TALLY_SPEC_RU_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/spec/ru/*.spec)
foreach(spec ${TALLY_SPEC_RU_FILES})
  get_filename_component(name ${spec} NAME_WE)
  add_test(NAME spec/ru/${name} COMMAND spec_runner --lang ru ${spec})
  set_tests_properties(spec/ru/${name} PROPERTIES
    ENVIRONMENT "TALLY_GAZETTEER=${GAZETTEER_BIN}"
    LABELS spec)
endforeach()

# ---------------------------------------------------------------- CLI
# The demo: the sample corpus as a table; passes when tally exits 0.
add_test(NAME cli/demo
         COMMAND $<TARGET_FILE:tally> extract --format table ${CMAKE_SOURCE_DIR}/examples)
set_tests_properties(cli/demo PROPERTIES
  ENVIRONMENT "TALLY_GAZETTEER=${GAZETTEER_BIN}"
  LABELS cli)

# The scores on ../shared (skipped without it): the five seed documents
# (seeds_score.sh), the world development set (issue 12) and the Russian one
# (issue 18) (dev_score.sh SET LANG MIN_F1 MIN_FIELDS).
add_test(NAME cli/seeds-score COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/seeds_score.sh $<TARGET_FILE:tally>)
add_test(NAME cli/world-score COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/dev_score.sh $<TARGET_FILE:tally> world-dev en 0.95 0.85)
add_test(NAME cli/ru-score COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/dev_score.sh $<TARGET_FILE:tally> ru-dev ru 0.90 0.80)
foreach(score seeds world ru)
  set_tests_properties(cli/${score}-score PROPERTIES
    ENVIRONMENT "TALLY_GAZETTEER=${GAZETTEER_BIN};TALLY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
    SKIP_RETURN_CODE 77
    LABELS cli)
endforeach()

# Every file of ../shared/corpus must go through without a crash or a hang.
add_test(NAME cli/corpus
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/corpus_run.sh $<TARGET_FILE:tally>)
set_tests_properties(cli/corpus PROPERTIES
  ENVIRONMENT "TALLY_GAZETTEER=${GAZETTEER_BIN};TALLY_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  SKIP_RETURN_CODE 77
  TIMEOUT 1200
  LABELS cli)
