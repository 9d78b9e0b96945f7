DO LANGUAGE plperl $$ print 1; $$;
